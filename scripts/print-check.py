"""Checks the printed workbooks (see print-check.sh): read from the PDFs'
pdftotext -bbox words, and every workbook read through openpyxl's
read-only mode. Usage: print-check.py OUT LONG_CSV. Exits 1 on a failure."""
import glob
import html
import os
import re
import sys

import openpyxl

out, long_csv = sys.argv[1], sys.argv[2]
failures = []


def fail(msg):
    failures.append(msg)


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
CJK = re.compile(r'^[\u4e00-\u9fff]+$')


def pages(book):
    with open(os.path.join(out, book + ".html"), encoding="utf-8") as f:
        doc = f.read()
    result = []
    for m in PAGE.finditer(doc):
        height = float(m.group(2))
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in WORD.findall(m.group(3))]
        result.append((height, words))
    return result


def text(words):
    """The page's text column by column: a cell's wrapped lines start at
    the same x, so a word broken over lines reads whole."""
    return "".join(w[4] for w in sorted(words, key=lambda w: (round(w[0]), w[1])))


def footer(height, words):
    return [w for w in words if w[1] > height - 45]


def check_book(book, sheets, titles):
    ps = pages(book)
    if not ps:
        fail(f"{book}: no pages")
        return []
    checked, smallest = [], 99.0
    for i, (height, words) in enumerate(ps, 1):
        foot = "".join(w[4] for w in footer(height, words))
        m = re.search(r"第(\d+)页，共(\d+)页", foot)
        if not m or int(m.group(1)) != i or int(m.group(2)) != len(ps):
            fail(f"{book} page {i}: no page number 第 {i} 页，共 {len(ps)} 页 in the footer ({foot!r})")
        if sheets and not any(foot.startswith(s) for s in sheets):
            continue
        checked.append(text(words))
        body = [w for w in words if w[1] <= height - 45]
        page_text = "".join(w[4] for w in body)
        for t in titles:
            if t not in page_text:
                fail(f"{book} page {i}: the title line lacks {t!r}")
        for x0, _, x1, _, t in body:
            if CJK.match(t):
                em = (x1 - x0) / len(t)
                smallest = min(smallest, em)
                if em < 9.95:
                    fail(f"{book} page {i}: {t!r} is {em:.1f} pt")
    print(f"{book}.pdf: {len(ps)} 页，检查 {len(checked)} 页，最小正文字号 {smallest:.1f} pt")
    return checked


refer = check_book("会商名单", ["送会商", "待复核"],
                   ["江北区市场监督管理局注册登记会商名单", "导出文件：" + os.path.basename(long_csv), "运行时间：", "词典版本："])
printed = "".join(refer)
for hit in ["理财", "网络借贷", "支付"]:
    if hit not in printed:
        fail(f"会商名单: the hit {hit!r} of the 2,000-character scope is on no page")
if "（全文见电子表）" not in printed:
    fail("会商名单: the 2,000-character scope prints whole or without （全文见电子表）")
check_book("变动", None, ["注册登记会商企业变动情况", "比较运行"])
check_book("月报", None, ["注册登记会商变动情况", "报送单位：江北区市场监督管理局"])

# Every workbook through a streaming reader that trusts <dimension>.
books = [p for p in glob.glob(os.path.join(out, "**", "*.xlsx"), recursive=True) if "lo-profile" not in p]
for path in sorted(books):
    full = openpyxl.load_workbook(path)
    fast = openpyxl.load_workbook(path, read_only=True)
    for ws in full.worksheets:
        want = {(r, c, v) for r, row in enumerate(ws.iter_rows(values_only=True)) for c, v in enumerate(row) if v is not None}
        got = {(r, c, v) for r, row in enumerate(fast[ws.title].iter_rows(values_only=True)) for c, v in enumerate(row) if v is not None}
        if got != want:
            cols = max((c for _, c, _ in want), default=-1) + 1
            seen = max((c for _, c, _ in got), default=-1) + 1
            fail(f"{os.path.relpath(path, out)} {ws.title}: read-only mode sees {len(got)} of {len(want)} cells, {seen} of {cols} columns")
    fast.close()
print(f"openpyxl 只读模式读回 {len(books)} 本工作簿")

for f in failures:
    print("失败：" + f, file=sys.stderr)
sys.exit(1 if failures else 0)
