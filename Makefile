# Escale: `make test` installs what the tests need when it can, then runs them all.
GO ?= go
APT_PACKAGES := chromium tesseract-ocr tesseract-ocr-fra poppler-utils

.PHONY: test deps build vet fuzz-seeds bench

test: deps vet
	$(GO) test -race ./...

# Debian's chromium (browser tests), tesseract (OCR) and poppler-utils (the
# pdftotext peer of the benchmarks), installed when running as root and missing.
# Tests that need them skip with a message when they are absent.
deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx fra; } || missing="$$missing tesseract-ocr tesseract-ocr-fra"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "make: installing$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
		else \
			echo "make: missing$$missing (run as root to install them); the tests that need them will skip"; \
		fi; \
	fi

build:
	CGO_ENABLED=0 $(GO) build -o bin/escale ./cmd/escale

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "make: gofmt needed"; exit 1; }
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
