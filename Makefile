# regscreen — see README.md. Everything builds with -tags ne: gse's own
# 32 MB of embedded dictionaries are left out (we ship our own word list).
GO      ?= go
TAGS    := -tags ne
BIN     := bin/regscreen
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: build demo test vet fuzz fuzz-input bench generate generate-check clean

# CGO_ENABLED=0: a static binary starts ~4 ms sooner (no dynamic loader),
# which `check` in a shell loop feels; nothing here needs cgo.
build:
	CGO_ENABLED=0 $(GO) build $(TAGS) -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/regscreen

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
# the suite still runs and says what it left out.
test: vet
	$(GO) test $(TAGS) -count=1 ./...
	@if [ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v "$$($(GO) env CC)" > /dev/null; then \
		echo "$(GO) test $(TAGS) -count=1 -race -run 'Shared|Labelled' ./screen/"; \
		$(GO) test $(TAGS) -count=1 -race -run 'Shared|Labelled' ./screen/; \
	else echo "跳过 -race 检测：需要 C 编译器（如 gcc）"; fi

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (gofmt -l . && echo "gofmt needed" && exit 1)
	$(GO) vet $(TAGS) ./...

fuzz:
	$(GO) test $(TAGS) -run XXX -fuzz FuzzNormalize -fuzztime 60s ./screen/

generate:
	$(GO) generate ./dict

# Fails when the committed word list or character map differ from what
# the generator writes from default.dict, extra_words.txt and the pinned
# modules (for CI: a term added to default.dict without regenerating).
generate-check: generate
	@git diff --exit-code -- dict/ || (echo "dict/ 与 go generate ./dict 的结果不一致：请运行 make generate 并提交" && exit 1)

clean:
	rm -rf bin

# Side-by-side timings against grep/rg on ../shared/bench data (generated on
# first run into bench/data, which git ignores), then the Go benchmarks.
bench:
	bash scripts/bench.sh

fuzz-input:
	$(GO) test $(TAGS) -run XXX -fuzz FuzzReaders -fuzztime 50000x ./input/
