# regscreen — see README.md. Builds and tests use -tags ne: the tests and
# the generator that use gse then leave out its 32 MB of embedded
# dictionaries (the program itself does not link gse; it ships its own word list).
GO      ?= go
TAGS    := -tags ne
BIN     := bin/regscreen
# The release number is written once, in internal/version (CHANGELOG.md
# says what it changed); the commit is stamped beside it.
VERSION := $(shell sed -n 's/^const Number = "\(.*\)"/\1/p' internal/version/version.go)
COMMIT  ?= $(shell git describe --always --dirty --abbrev=12 2>/dev/null)
LDFLAGS := -s -w -X github.com/regscreen/regscreen/internal/version.Commit=$(COMMIT)

.PHONY: print-check build bench-serve test-browser demo test vet fuzz fuzz-input fuzz-xls xls-fixtures bench generate generate-check damage damage-check clean screenshots cross cross-check dist install smoke-windows smoke-arm64 smoke-qemu

# CGO_ENABLED=0: a static binary starts ~4 ms sooner (no dynamic loader),
# which `check` in a shell loop feels; nothing here needs cgo.
GOBUILD  = CGO_ENABLED=0 $(GO) build $(TAGS) -trimpath -ldflags '$(LDFLAGS)'
build:
	$(GOBUILD) -o $(BIN) ./cmd/regscreen

# The release targets: Windows desktops, x86 servers, domestic (信创)
# ARM64 and LoongArch desktops, Macs. `cross` builds each into
# bin/GOOS-GOARCH/. `make test` runs cross-check instead, so no target
# can stop compiling: the same builds without optimisation, written
# nowhere (with a cold build cache about 45 s a target instead of 75 s).
DIST_TARGETS := windows/amd64 linux/amd64 linux/arm64 linux/loong64 darwin/arm64
cross-check:
	@for t in $(filter-out $(shell $(GO) env GOOS)/$(shell $(GO) env GOARCH),$(DIST_TARGETS)); do os=$${t%/*}; arch=$${t#*/}; \
		echo "GOOS=$$os GOARCH=$$arch $(GO) build (编译检查)"; \
		GOOS=$$os GOARCH=$$arch CGO_ENABLED=0 $(GO) build $(TAGS) -gcflags=all='-N -l' -o $(if $(filter windows,$(shell $(GO) env GOHOSTOS)),NUL,/dev/null) ./cmd/regscreen || exit 1; done
cross:
	@for t in $(DIST_TARGETS); do os=$${t%/*}; arch=$${t#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		echo "GOOS=$$os GOARCH=$$arch $(GO) build -o bin/$$os-$$arch/regscreen$$ext"; \
		GOOS=$$os GOARCH=$$arch $(GOBUILD) -o bin/$$os-$$arch/regscreen$$ext ./cmd/regscreen || exit 1; done

# Release archives and SHA256SUMS in dist/. gocc is named because its
# OpenCC table is embedded (dict/data/t2s.txt) though the module is not linked.
GOCC := $(shell sed -n 's/^const goccModule = "\(.*\)"/\1/p' dict/internal/gendata/main.go)
dist: cross
	rm -rf dist
	$(GO) run $(TAGS) ./internal/cmd/mkdist -version '$(VERSION)' -o dist -extra '$(GOCC)' \
		-mtime $$(git log -1 --format=%ct 2>/dev/null || date +%s) $(foreach t,$(DIST_TARGETS),bin/$(subst /,-,$(t))/regscreen$(if $(findstring windows,$(t)),.exe))
	cat dist/SHA256SUMS

# make install [PREFIX=/usr/local]: without PREFIX, where go install puts
# programs (GOBIN, else the first GOPATH entry's bin).
BINDIR = $(if $(PREFIX),$(PREFIX)/bin,$(or $(shell $(GO) env GOBIN),$(firstword $(subst :, ,$(shell $(GO) env GOPATH)))/bin))
install: build
	install -d '$(DESTDIR)$(BINDIR)'
	install -m 755 $(BIN) '$(DESTDIR)$(BINDIR)/regscreen'
	@echo "已安装 $(DESTDIR)$(BINDIR)/regscreen"
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; *) echo "注意：$(BINDIR) 不在 PATH 中，请把它加入 PATH（见 README“安装”）";; esac

# The Windows binary under wine, the arm64 and loong64 ones under qemu-user,
# each compared with the native binary's output (the scripts install wine64
# or qemu-user-static with apt-get when missing).
smoke-windows:
	bash scripts/smoke-windows.sh

smoke-arm64:
	bash scripts/smoke-qemu.sh linux/arm64

smoke-qemu:
	bash scripts/smoke-qemu.sh linux/arm64 linux/loong64

# Screens the bundled sample: referred and review rows to the terminal.
# The sample has referred rows, so scan exits 1; the demo itself succeeds.
demo: build
	@echo "== regscreen scan --format text fixtures/sample.csv（送会商与待复核的记录）=="
	@$(BIN) scan --format text fixtures/sample.csv; test $$? -le 1
	@mkdir -p out
	@$(BIN) scan -q --all -o out/sample-result.csv fixtures/sample.csv; test $$? -le 1
	@echo "全部记录及结论已写入 out/sample-result.csv"
	@$(BIN) scan -q --all -o out/会商名单.xlsx fixtures/sample.csv; test $$? -le 1
	@echo "会商工作簿已写入 out/会商名单.xlsx（送会商、待复核、全部记录、汇总、运行信息）"
	@echo "== regscreen check \"宁波某某理財咨询有限公司\" =="
	@$(BIN) check "宁波某某理財咨询有限公司" || test $$? -eq 1

# The race detector needs cgo and a C compiler; without one the rest of
# the suite still runs and says what it left out. store's two goroutines
# (intake, SQLite) run under it in the tests that drive them: hand-offs
# over several blocks, the state blob, a second night, a failed run,
# decisions (the whole store suite under -race took 11 s more on two
# cores; every store test runs without -race above). The two race runs go
# side by side: store's tests wait on fsync more than they compute.
RACE_STORE := TestSeenBlocksMergeLikeOneSort|TestStateBlobMatchesTheTables|TestCompaniesFollowTheLatestRecord|TestChangesBetweenTwoNights|TestKilledRunIsMarkedFailedAndLeavesNoData|TestDecisionsMergeByCompanyKeepingTheLatest|TestNamesFollowRenamesOnly|TestNamesOverManyBlocks
test: vet
	$(GO) test $(TAGS) -count=1 ./...
	@if [ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v "$$($(GO) env CC)" > /dev/null; then \
		echo "$(GO) test $(TAGS) -count=1 -race ./searcher/ ./output/ ./run/ & $(GO) test $(TAGS) -count=1 -race -run 'Shared|Labelled|$(RACE_STORE)' ./screen/ ./store/"; \
		$(GO) test $(TAGS) -count=1 -race ./searcher/ ./output/ ./run/ & a=$$!; \
		$(GO) test $(TAGS) -count=1 -race -run 'Shared|Labelled|$(RACE_STORE)' ./screen/ ./store/ & b=$$!; \
		wait $$a; ra=$$?; wait $$b; rb=$$?; test $$ra = 0 && test $$rb = 0; \
	else echo "跳过 -race 检测：需要 C 编译器（如 gcc）"; fi
	@$(MAKE) --no-print-directory cross-check
	@if command -v soffice > /dev/null 2>&1; then $(MAKE) --no-print-directory print-check; \
	else echo "跳过打印检查：本机没有 LibreOffice（make print-check 会安装它再检查）"; fi

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (gofmt -l . && echo "gofmt needed" && exit 1)
	$(GO) vet $(TAGS) ./...
	$(GO) vet ./...

fuzz:
	$(GO) test $(TAGS) -run XXX -fuzz FuzzNormalize -fuzztime 60s ./screen/

generate:
	$(GO) generate ./dict

# Fails when the committed word list or character map differ from what
# the generator writes from default.dict, extra_words.txt and the pinned
# modules (for CI: a term added to default.dict without regenerating).
generate-check: generate
	@git diff --exit-code -- dict/ || (echo "dict/ 与 go generate ./dict 的结果不一致：请运行 make generate 并提交" && exit 1)

# The damage corpus (fixtures/damage) is written by a generator from
# fixtures/sample.csv; damage-check fails when the committed files differ
# from what it writes (a sample row changed without regenerating).
damage:
	$(GO) run ./internal/cmd/mkdamage

damage-check: damage
	@git diff --exit-code -- fixtures/damage/ || (echo "fixtures/damage/ 与 go run ./internal/cmd/mkdamage 的结果不一致：请运行 make damage 并提交" && exit 1)
	@test -z "$$(git ls-files --others --exclude-standard -- fixtures/damage/)" || (git ls-files --others --exclude-standard -- fixtures/damage/ && echo "fixtures/damage/ 中有生成器写出、却未提交的文件：请运行 make damage 并提交" && exit 1)

clean:
	rm -rf bin dist

# Side-by-side timings against grep/rg on two exports, generated on first
# run into bench/data (which git ignores): ../shared/bench/gen's made-up
# rows and ../shared/bench/real's rows of real registrations (long scopes,
# quoted cells); every figure on both. Then the Go benchmarks.
bench:
	bash scripts/bench.sh

# The pages in Debian's chromium through chromedp (installs chromium).
test-browser:
	bash scripts/test-browser.sh

# The server under load (a Go load generator, internal/cmd/benchserve):
# /api/v1/check with one record a request, then 100, from 32 keep-alive
# connections; requests/s, p99 and the server's peak RSS.
bench-serve: build
	$(GO) run ./internal/cmd/benchserve -bin $(BIN) -conns 32 -records 1 -d $(or $(DURATION),20s)
	$(GO) run ./internal/cmd/benchserve -bin $(BIN) -conns 32 -records 100 -d $(or $(DURATION),20s)

fuzz-input:
	$(GO) test $(TAGS) -run XXX -fuzz FuzzReaders -fuzztime 50000x ./input/

# Any bytes as .xls: no panic (the recover a run has is off), no hang.
fuzz-xls:
	$(GO) test $(TAGS) -run XXX -fuzz 'FuzzXLS$$' -fuzztime 100000x ./input/

# The .xls/.ods/.et fixtures and LibreOffice's CSV of each .xls sheet
# (installs LibreOffice with apt-get when missing).
xls-fixtures:
	bash scripts/xls-fixtures.sh

# The workbooks as the finance office prints them: 会商名单, 变动 and 月报
# through LibreOffice to PDF, checked from pdftotext -bbox (body text at
# least 10 pt, every hit of a 2,000-character scope on a page, title line,
# page X of Y), and every workbook read back with openpyxl's read-only
# mode. Installs LibreOffice, poppler, the fonts and openpyxl with apt-get.
print-check: build
	bash scripts/print-check.sh

# The demo workbooks as printed (LibreOffice → PDF → PNG pages in docs/),
# installing LibreOffice and a CJK font with apt-get when missing.
screenshots: build
	bash scripts/screenshots.sh
