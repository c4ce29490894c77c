package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var statusRow = regexp.MustCompile(`data-status="(\w+)"`)

func TestUploadPageReadsSeveralFiles(t *testing.T) {
	ps := newPageServer(t, Config{MaxUpload: 200}, nil)
	_, page := ps.get(t, "/televerser")
	files := map[string][]byte{
		"<img src=x onerror=alert(1)>.txt": []byte("Mission à Porto\nTexte."),
		"copie.txt":                        []byte("Mission à Porto\nTexte."),
		"abîmé.txt":                        []byte("refuse: abîmé"),
		"énorme.txt":                       []byte(strings.Repeat("x", 300)),
		"dernier.txt":                      []byte("Mission à Faro\nTexte."),
	}
	order := []string{"<img src=x onerror=alert(1)>.txt", "copie.txt", "abîmé.txt", "énorme.txt", "dernier.txt"}
	resp, body := ps.postFiles(t, csrfOf(t, page), files, order...)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /televerser = %d, want 200", resp.StatusCode)
	}
	var got []string
	for _, m := range statusRow.FindAllStringSubmatch(body, -1) {
		got = append(got, m[1])
	}
	want := []string{"added", "present", "refused", "refused", "added"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("results = %v, want %v", got, want)
	}
	for _, msg := range []string{"2 ajoutés, 1 déjà présent, 2 refusés", "endommagé", "dépasse la taille permise"} {
		if !strings.Contains(strings.ToLower(body), strings.ToLower(msg)) {
			t.Errorf("upload results lack %q", msg)
		}
	}
	if strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;.txt") {
		t.Errorf("a file name with markup is not escaped on the results page")
	}
	if len(ps.idx.docs) != 2 {
		t.Errorf("index holds %d missions after the upload, want 2", len(ps.idx.docs))
	}
}

func TestUploadPageWithoutFilesSaysWhatToDo(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	_, page := ps.get(t, "/televerser")
	resp, body := ps.postFiles(t, csrfOf(t, page), nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Aucun fichier reçu") {
		t.Errorf("POST /televerser without files = %d, want 400 saying none came", resp.StatusCode)
	}
}
