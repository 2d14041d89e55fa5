# A second night of the same register: 1% of the records get a changed
# 经营范围 (the last column), half of them a benign term, half a
# restricted one, so that make bench's `scan --db` second night has
# changed fingerprints and new hits to store. Usage:
#   awk -f scripts/night2.awk reg.csv > reg-night2.csv
NR > 1 && NR % 100 == 0 {
  add = (NR % 200 == 0) ? "；日用百货销售" : "；投资管理"
  cr = ""
  if (sub(/\r$/, "")) cr = "\r"
  if ($0 ~ /"$/) sub(/"$/, add "\""); else $0 = $0 add
  $0 = $0 cr
}
{ print }
