#!/usr/bin/env python3
"""Prints the workbench benchmark's table with the targets of issue 4."""
import json, sys

r = json.load(open(sys.argv[1]))
p, v = r["petal"], r["visidata"]
rows = [
    ("first screen with data rows (outside, tmux poll)", f'{p["first_screen_s"]:.3f} s',
     f'{v["first_screen_s"]:.3f} s' if v else "n/a",
     f'{p["first_screen_s"] / v["first_screen_s"]:.2f}×' if v else "", "≤ 0.15 s", p["first_screen_s"] <= 0.15),
    ("first table frame (Petal's trace)", f'{p["first_table_frame_ms"]:.1f} ms', "", "", "", None),
    ("fully loaded and typed (Petal's trace)", f'{p["loaded_ms"] / 1000:.3f} s', "", "", "≤ load benchmark (0.25–0.33 s)", None),
    ("keystroke to redrawn screen, median", f'{p["key_to_frame_ms"]["median"]:.2f} ms', "", "", "", None),
    (f'keystroke to redrawn screen, p99 / max of {p["key_to_frame_ms"]["n"]}',
     f'{p["key_to_frame_ms"]["p99"]:.2f} / {p["key_to_frame_ms"]["max"]:.2f} ms', "", "", "< 16 ms", p["key_to_frame_ms"]["max"] < 16),
]
print(f'{"":52} {"Petal":>12} {"VisiData":>10} {"ratio":>7}  target')
for name, a, b, ratio, target, met in rows:
    mark = "" if met is None else ("  met" if met else "  NOT met")
    print(f"{name:52} {a:>12} {b:>10} {ratio:>7}  {target}{mark}")
