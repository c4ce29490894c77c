// Package browsertest drives Escale's pages in a real browser: Debian's
// chromium through chromedp, against the real `escale serve` built from
// cmd/escale and started on 127.0.0.1:0 over a temporary data directory
// holding the visible test corpus. It has only tests; they skip, saying
// why, when chromium is not installed or with -short.
package browsertest
