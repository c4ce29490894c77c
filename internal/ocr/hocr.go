package ocr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Box is a rectangle in image pixels, origin at the top left.
type Box struct{ X0, Y0, X1, Y1 int }

// Word is one recognised word.
type Word struct {
	Text       string
	Box        Box
	Confidence float64 // 0 to 100
	Bold       bool    // measured on the image (markBold), not by Tesseract
}

// Line is one recognised line, in reading order within its paragraph.
type Line struct {
	Box Box
	// Height is Tesseract's x_size: the line's height from descender to
	// ascender, in pixels (0 when not given).
	Height     float64
	Words      []Word
	Paragraph  int // counts paragraphs from 1 across the page
	Block      int // counts blocks from 1 across the page
	Descenders float64
	Ascenders  float64
	// Baseline is where the letters sit, in pixels from the top of the
	// image at the line's left edge; 0 when not given.
	Baseline float64
}

// Result is one page as Tesseract read it.
type Result struct {
	Width, Height int // of the image, in pixels
	Lines         []Line
}

// Limits on what one hOCR document may hold: a page of small print has a
// few thousand words.
const (
	maxWords = 1 << 17
	maxDepth = 64
)

// errHOCR says the hOCR could not be read.
var errHOCR = errors.New("ocr: hocr")

// ParseHOCR reads Tesseract's hOCR output: its page size, and its lines of
// words with their boxes and confidence, in reading order. Elements it does
// not know pass by; text outside words is ignored.
func ParseHOCR(r io.Reader) (*Result, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	res := &Result{}
	var (
		stack       []string // the hOCR class of each open element ("" for others)
		line        *Line
		word        *Word
		text        strings.Builder
		words       int
		par, block  int
		sawPage     bool
		wordDepthAt = -1
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errHOCR, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: elements nested over %d deep", errHOCR, maxDepth)
			}
			class, title := attrs(t)
			stack = append(stack, class)
			props := properties(title)
			switch class {
			case "ocr_page":
				if b, ok := bbox(props); ok {
					res.Width, res.Height = b.X1, b.Y1
				}
				sawPage = true
			case "ocr_carea":
				block++
			case "ocr_par":
				par++
			case "ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat":
				if line != nil {
					res.add(line)
				}
				b, _ := bbox(props)
				line = &Line{Box: b, Paragraph: par, Block: block}
				line.Height = number(props, "x_size")
				line.Descenders = number(props, "x_descenders")
				line.Ascenders = number(props, "x_ascenders")
				if bl := props["baseline"]; len(bl) == 2 && b != (Box{}) {
					line.Baseline = float64(b.Y1) + number(map[string][]string{"v": bl[1:]}, "v")
				}
			case "ocrx_word":
				if line == nil {
					line = &Line{Paragraph: par, Block: block}
				}
				if words++; words > maxWords {
					return nil, fmt.Errorf("%w: more than %d words", errHOCR, maxWords)
				}
				b, _ := bbox(props)
				word = &Word{Box: b, Confidence: number(props, "x_wconf")}
				text.Reset()
				wordDepthAt = len(stack)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			if word != nil && len(stack) == wordDepthAt {
				word.Text = strings.Join(strings.Fields(text.String()), " ")
				if word.Text != "" {
					line.Words = append(line.Words, *word)
				}
				word, wordDepthAt = nil, -1
			}
			switch stack[len(stack)-1] {
			case "ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat":
				if line != nil {
					res.add(line)
					line = nil
				}
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if word != nil && text.Len() < 1<<12 {
				text.Write(t)
			}
		}
	}
	if line != nil {
		res.add(line)
	}
	if !sawPage {
		return nil, fmt.Errorf("%w: no ocr_page", errHOCR)
	}
	return res, nil
}

// add keeps a line that has words, with a box that covers them when
// Tesseract gave none.
func (r *Result) add(l *Line) {
	if len(l.Words) == 0 {
		return
	}
	if l.Box == (Box{}) {
		l.Box = l.Words[0].Box
		for _, w := range l.Words[1:] {
			l.Box.X0, l.Box.Y0 = min(l.Box.X0, w.Box.X0), min(l.Box.Y0, w.Box.Y0)
			l.Box.X1, l.Box.Y1 = max(l.Box.X1, w.Box.X1), max(l.Box.Y1, w.Box.Y1)
		}
	}
	r.Lines = append(r.Lines, *l)
}

// Confidence is the mean confidence of the page's words, 0 to 100, or 0
// when it has none.
func (r *Result) Confidence() float64 {
	sum, n := 0.0, 0
	for _, l := range r.Lines {
		for _, w := range l.Words {
			sum += w.Confidence
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// attrs returns an element's class and title.
func attrs(t xml.StartElement) (class, title string) {
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "class":
			class = a.Value
		case "title":
			title = a.Value
		}
	}
	return class, title
}

// properties splits an hOCR title, « bbox 1 2 3 4; x_wconf 96 », into
// its properties.
func properties(title string) map[string][]string {
	props := map[string][]string{}
	for part := range strings.SplitSeq(title, ";") {
		f := strings.Fields(part)
		if len(f) > 0 && len(props) < 32 {
			props[f[0]] = f[1:]
		}
	}
	return props
}

func bbox(props map[string][]string) (Box, bool) {
	v := props["bbox"]
	if len(v) != 4 {
		return Box{}, false
	}
	var n [4]int
	for i, s := range v {
		x, err := strconv.Atoi(s)
		if err != nil || x < 0 || x > 1<<20 {
			return Box{}, false
		}
		n[i] = x
	}
	if n[2] < n[0] || n[3] < n[1] {
		return Box{}, false
	}
	return Box{n[0], n[1], n[2], n[3]}, true
}

// number reads the first value of a property, 0 when missing or absurd.
func number(props map[string][]string, key string) float64 {
	v := props[key]
	if len(v) == 0 {
		return 0
	}
	f, err := strconv.ParseFloat(v[0], 64)
	if err != nil || f != f || f < -1e6 || f > 1e6 {
		return 0
	}
	return f
}
