package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The visible corpus, relative to this package.
const corpusFiles = "../../../testdata/corpus/visible/files"

// testToken is the server's ESCALE_TOKEN: the pages that write must ask for it.
const testToken = "jeton-de-test-navigateur"

var shots = flag.String("shots", "", "also copy every screenshot into this directory")

// harness is what TestMain sets up once for every test of the binary: one
// server and one browser, shared (starting them is most of the cost).
type harness struct {
	skip    string // why the tests cannot run here
	url     string
	browser context.Context
	mu      sync.Mutex
	logged  bool // the browser holds a logged-in session
}

// h is the test binary's harness: set once in TestMain, read by tests.
var h = &harness{}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "escale-browser-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	chrome := findChromium()
	switch {
	case testing.Short():
		h.skip = "browser tests skipped with -short"
	case chrome == "":
		h.skip = "chromium is not installed: apt-get install -y chromium (make test installs it)"
	}
	if h.skip != "" {
		return m.Run()
	}
	stop, err := startServer(tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	defer stop()
	if err := uploadCorpus(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	// Start the browser now, so that a test's time is its own.
	if err := chromedp.Do(bctx); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: start chromium:", err)
		return 1
	}
	h.browser = bctx
	return m.Run()
}

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startServer builds escale as the checks do (no cgo) and serves a fresh
// data directory on a free port of 127.0.0.1, with a token.
func startServer(tmp string) (stop func(), err error) {
	bin := filepath.Join(tmp, "escale")
	build := exec.Command("go", "build", "-o", bin, "escale/cmd/escale")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(tmp, "data"), "--log-level", "warn")
	cmd.Env = append(os.Environ(), "ESCALE_TOKEN="+testToken)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop = func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "Escale écoute sur "); ok {
				found <- strings.Fields(rest)[0]
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			stop()
			return nil, fmt.Errorf("serve ended before listening:\n%s", stderr.String())
		}
		h.url = u
	case <-time.After(2 * time.Minute):
		stop()
		return nil, fmt.Errorf("serve did not listen within 2 minutes:\n%s", stderr.String())
	}
	return stop, nil
}

// uploadCorpus sends the visible corpus through the API, two at a time.
func uploadCorpus() error {
	entries, err := os.ReadDir(corpusFiles)
	if err != nil {
		return err
	}
	sem := make(chan struct{}, 2)
	errs := make(chan error, len(entries))
	var wg sync.WaitGroup
	for _, e := range entries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := os.ReadFile(filepath.Join(corpusFiles, e.Name()))
			if err != nil {
				errs <- err
				return
			}
			status, body, err := apiUpload(e.Name(), data)
			// A scanned report is refused until OCR: that is not the pages' business.
			if err == nil && status >= 500 {
				err = fmt.Errorf("upload %s: %d %s", e.Name(), status, body)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return errors.Join(func() []error {
		var out []error
		for err := range errs {
			out = append(out, err)
		}
		return out
	}()...)
}

func apiUpload(name string, data []byte) (int, []byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", h.url+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// apiGet decodes a GET of the API into v.
func apiGet(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(h.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// searchResult is the part of the API's search answer the tests read.
type searchResult struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		MissionID    string `json:"mission_id"`
		Filename     string `json:"filename"`
		Title        string `json:"title"`
		Destinations []struct {
			City    string `json:"city"`
			Country string `json:"country"`
		} `json:"destinations"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func apiSearch(t *testing.T, params url.Values) searchResult {
	t.Helper()
	var r searchResult
	apiGet(t, "/api/v1/search?"+params.Encode(), &r)
	return r
}

// tab opens a new tab of the shared browser for one test, with a deadline.
func tab(t *testing.T) context.Context {
	t.Helper()
	if h.skip != "" {
		t.Skip(h.skip)
	}
	ctx, cancel := chromedp.NewContext(h.browser)
	t.Cleanup(cancel)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelTime)
	return ctx
}

// do runs browser actions or fails the test, with a screenshot of where
// it stopped.
func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		screenshot(t, ctx, "failure")
		t.Fatalf("browser: %v", err)
	}
}

// get runs one browser action that returns a value, or fails the test.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		screenshot(t, ctx, "failure")
		t.Fatalf("browser: %v", err)
	}
	return v
}

// attr is an attribute of the first element matching a CSS selector.
func attr(t *testing.T, ctx context.Context, css, name string) string {
	t.Helper()
	return get(t, ctx, chromedp.AttributeValue(chromedp.CSS(css), name)).Value
}

// screenshot saves the whole page as name.png in the test's temp dir (and
// in -shots when given).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG (less is JPEG)
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	file := strings.ReplaceAll(t.Name(), "/", "_") + "-" + name + ".png"
	if err := os.WriteFile(filepath.Join(t.TempDir(), file), png, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	}
	if *shots != "" {
		os.MkdirAll(*shots, 0o755)
		os.WriteFile(filepath.Join(*shots, file), png, 0o644)
	}
}

// login gives the token through the page's form, once per browser: the
// session cookie then serves every tab.
func login(t *testing.T, ctx context.Context) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.logged {
		return
	}
	do(t, ctx,
		chromedp.Navigate(h.url+"/televerser"),
		chromedp.WaitVisible(chromedp.CSS(`#jeton`)),
		chromedp.SendKeys(chromedp.CSS(`#jeton`), testToken),
		chromedp.Submit(chromedp.CSS(`#jeton`)),
		chromedp.WaitVisible(chromedp.CSS(`#upload-form`)),
	)
	h.logged = true
}
