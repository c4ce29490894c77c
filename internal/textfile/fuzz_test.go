package textfile

import (
	"testing"
	"unicode/utf8"

	"escale/internal/mission"
)

// FuzzRead checks that any bytes are either read into one valid page or
// refused with a stable refusal, never a panic.
func FuzzRead(f *testing.F) {
	f.Add([]byte("RAPPORT DE MISSION\r\n\r\nObjectifs\r\n- Participer.\r\n"))
	f.Add([]byte("# Titre\n\n- **Gras.** texte [lien](https://x.y) `code` __b__ _i_\n|a|b|\n|-|-|\n"))
	f.Add([]byte("\xff\xfeR\x00a\x00p\x00"))
	f.Add([]byte("D\xe9l\xe9gation \x96 \x92"))
	f.Add([]byte("**a*b_c__d**[x](y"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Read(data)
		if err != nil {
			if _, ok := mission.RefusalOf(err); !ok {
				t.Fatalf("Read error %v has no refusal code", err)
			}
			return
		}
		if len(doc.Pages) != 1 {
			t.Fatalf("Read gave %d pages, want 1", len(doc.Pages))
		}
		for _, l := range doc.Pages[0].Lines {
			if !utf8.ValidString(l.Text()) {
				t.Fatalf("Read line %q is not valid UTF-8", l.Text())
			}
		}
	})
}
