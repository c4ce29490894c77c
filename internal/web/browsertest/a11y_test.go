package browsertest

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// pageFacts are what every page must have, read in the browser.
const pageFacts = `(() => ({
	lang: document.documentElement.lang,
	title: document.title,
	unlabelled: [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
		.filter(e => !e.labels || e.labels.length === 0).map(e => e.outerHTML.slice(0, 80)),
	duplicateIDs: [...document.querySelectorAll('[id]')].map(e => e.id)
		.filter((id, i, all) => all.indexOf(id) !== i),
	overflow: document.documentElement.scrollWidth - window.innerWidth,
	skip: !!document.querySelector('a.skip[href="#contenu"]'),
}))()`

type facts struct {
	Lang         string   `json:"lang"`
	Title        string   `json:"title"`
	Unlabelled   []string `json:"unlabelled"`
	DuplicateIDs []string `json:"duplicateIDs"`
	Overflow     int      `json:"overflow"`
	Skip         bool     `json:"skip"`
}

// TestPagesAccessibleOnDesktopAndPhone visits every page at a desktop
// width and a phone's: French, titled, every control labelled, ids unique,
// and nothing wider than a phone's screen (wide tables scroll inside).
func TestPagesAccessibleOnDesktopAndPhone(t *testing.T) {
	ctx := tab(t)
	login(t, ctx)
	res := apiSearch(t, url.Values{"q": {"port"}})
	if len(res.Hits) == 0 {
		t.Fatal("search « port » finds nothing in the corpus")
	}
	pages := []string{
		"/", "/?q=port", "/?q=port&country=France", "/?q=qwxzrtyplk",
		"/missions/" + res.Hits[0].MissionID, "/televerser", "/comparer", "/comparer?split=theme&by=country",
		"/connexion", "/nulle-part",
	}
	titles := map[string]string{}
	for _, size := range []struct {
		name string
		w, h int64
		opts []chromedp.EmulateViewportOption
	}{
		{"desktop", 1280, 900, nil},
		{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}},
	} {
		do(t, ctx, chromedp.EmulateViewport(size.w, size.h, size.opts...))
		for _, p := range pages {
			do(t, ctx, chromedp.Navigate(h.url+p), chromedp.WaitVisible(chromedp.CSS(`footer`)))
			f := get(t, ctx, chromedp.Evaluate[facts](pageFacts))
			if f.Lang != "fr" {
				t.Errorf("%s: lang %q, want fr", p, f.Lang)
			}
			if !strings.HasSuffix(f.Title, " — Escale") || len(f.Title) <= len(" — Escale") {
				t.Errorf("%s: title %q, want « … — Escale »", p, f.Title)
			}
			if len(f.Unlabelled) > 0 {
				t.Errorf("%s: controls without a label: %q", p, f.Unlabelled)
			}
			if len(f.DuplicateIDs) > 0 {
				t.Errorf("%s: duplicate ids %q", p, f.DuplicateIDs)
			}
			if !f.Skip {
				t.Errorf("%s: no « Aller au contenu » link", p)
			}
			if f.Overflow > 0 {
				t.Errorf("%s on a %s: page %d px wider than the screen", p, size.name, f.Overflow)
			}
			titles[p] = f.Title
			if size.name == "phone" && (p == "/?q=port" || strings.HasPrefix(p, "/missions/") || p == "/comparer") {
				screenshot(t, ctx, "phone-"+strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(p))
			}
		}
	}
	if titles["/"] == titles["/comparer"] || titles["/"] == titles["/televerser"] {
		t.Errorf("pages share a title: %q", titles)
	}
	do(t, ctx, chromedp.EmulateReset())
}

// TestSearchByKeyboard searches, then ticks a facet, with the keyboard only.
func TestSearchByKeyboard(t *testing.T) {
	ctx := tab(t)
	do(t, ctx,
		chromedp.Navigate(h.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "port"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#q[value="port"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#facet-year input`)),
	)
	first := attr(t, ctx, `#facet-year input`, "value")
	do(t, ctx,
		chromedp.Focus(chromedp.CSS(`#facet-year input`)),
		chromedp.KeyEvent(" "),
		chromedp.WaitVisible(chromedp.CSS(`#chips a[data-facet="year"]`)),
	)
	screenshot(t, ctx, "keyboard")
	if got := attr(t, ctx, `#chips a[data-facet="year"]`, "data-value"); got != first {
		t.Errorf("year ticked by keyboard: chip %q, want %q", got, first)
	}
	if q := attr(t, ctx, `#q`, "value"); q != "port" {
		t.Errorf("after ticking a year: query %q, want port kept", q)
	}
}

// TestNoResultsOffersWayOut: a search that finds nothing offers to drop the
// filter that empties it, and that link finds missions again.
func TestNoResultsOffersWayOut(t *testing.T) {
	ctx := tab(t)
	do(t, ctx,
		chromedp.Navigate(h.url+"/?q=port&year=1901"),
		chromedp.WaitVisible(chromedp.CSS(`#no-results .drops a`)),
	)
	screenshot(t, ctx, "empty")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#no-results .drops a`)),
		chromedp.WaitVisible(chromedp.CSS(`#hits`)),
	)
	if got := attr(t, ctx, `#q`, "value"); got != "port" {
		t.Errorf("after dropping the year: query %q, want port kept", got)
	}
	if n := attr(t, ctx, `#total`, "data-total"); n == "0" {
		t.Errorf("after dropping the year: still no result")
	}
}
