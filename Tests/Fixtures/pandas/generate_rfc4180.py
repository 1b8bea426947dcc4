#!/usr/bin/env python3
"""Write what pandas reads from the RFC 4180 corner cases Petal's CSV reader is checked against.

Needs: pip install pandas
Each case is a small CSV given as bytes below. For each, plain pandas.read_csv(BytesIO(bytes)) is run and
rfc4180.json (next to this script) records the column names, each column's kind (int, float, bool, text)
and its values (NaN as null), or that pandas refused the input. Tests/PetalDataTests/RFC4180Tests.swift
reads the same bytes with Petal and compares. Deterministic; rerun after adding a case.
"""
import base64
import io
import json
import math
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent

CASES = {
    "lf": b"a,b\n1,x\n2,y\n",
    "crlf": b"a,b\r\n1,x\r\n2,y\r\n",
    "cr_only": b"a,b\r1,2\r3,4\r",
    "cr_only_no_final": b"a,b\r1,2\r3,4",
    "lone_cr_in_lf": b"a,b\n1,2\r3,4\n",
    "crlf_and_lf": b"a,b\r\n1,2\n3,4\r\n",
    "no_final_newline": b"a,b\n1,x\n2,y",
    "blank_lines_lf": b"a,b\n1,x\n\n2,y\n\n",
    "blank_lines_crlf": b"a,b\r\n1,x\r\n\r\n2,y\r\n",
    "blank_lines_cr": b"a,b\r1,x\r\r2,y\r",
    "blank_lines_before_header": b"\n\na,b\n1,x\n",
    "cr_then_crlf": b"a,b\r\r\n1,2\r\n",
    "quoted_delimiter": b'a,b\n1,"x,y"\n2,"z"\n',
    "quoted_doubled_quote": b'a,b\n1,"say ""hi"""\n2,"""q"""\n',
    "quoted_lf": b'a,b\n1,"line1\nline2"\n2,z\n',
    "quoted_crlf": b'a,b\r\n1,"line1\r\nline2"\r\n2,z\r\n',
    "quoted_cr": b'a,b\r1,"x\ry"\r2,z\r',
    "quoted_cr_in_lf": b'a,b\n1,"x\ry"\n2,z\n',
    "quoted_last_no_newline": b'a,b\n1,"x"',
    "quoted_numbers": b'a,b\n"1","2.5"\n"3","4"\n',
    "quoted_header": b'"a","b c"\n1,2\n',
    "empty_fields": b"a,b,c\n1,,3\n,2,\n",
    "empty_quoted_field": b'a,b\n1,""\n2,x\n',
    "all_empty_row": b"a,b,c\n1,2,3\n,,\n4,5,6\n",
    "utf8_bom": b"\xef\xbb\xbfa,b\n1,2\n",
    "utf8_bom_quoted_header": b'\xef\xbb\xbf"a",b\n1,2\n',
    "utf8_bom_crlf": b"\xef\xbb\xbfa,b\r\n1,x\r\n",
    "whitespace_unquoted": b"a,b\n1,x\n2,  \n",
    "whitespace_quoted": b'a,b\n1,x\n2," "\n',
    "whitespace_in_numbers": b"a,b\n1,1.5\n2,  \n",
    "whitespace_quoted_in_numbers": b'a,b\n1,1.5\n2," "\n',
    "tab_only_field": b"a,b\n1,\t\n2,x\n",
    "spaces_around_numbers": b"a,b\n 1 , 1.5 \n2,3\n",
    "spaces_around_text": b"a,b\n1, x \n2,y\n",
    "na_with_space": b"a,b\n1, NA\n2,x\n",
    "na_markers": b"a,b\n1,NA\n2,3.5\n3,\n",
    "bools": b"a,b\nTrue,1\nfalse,2\n",
    "unicode_text": "a,b\n1,café\n2,日本\n".encode(),
    "quote_inside_unquoted": b'a,b\n1,x"y\n2,z\n',
    "text_after_closing_quote": b'a,b\n1,"ab"c\n2,z\n',
    "header_only": b"a,b\n",
    "ragged_short_row": b"a,b,c\n1,2,3\n4,5\n",
    "ragged_long_row": b"a,b\n1,2\n3,4,5\n",
    "lone_cr_splits_field": b"a,b\n1,x\ry\n",
    "unclosed_quote": b'a,b\n1,"x\n2,y\n',
}


def kind(series):
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    return "text"


def value(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v


def main():
    out = {"pandas": pd.__version__, "cases": []}
    for name, data in CASES.items():
        case = {"name": name, "bytes": base64.b64encode(data).decode()}
        try:
            df = pd.read_csv(io.BytesIO(data))
            case["columns"] = [
                {"name": str(c), "kind": kind(df[c]), "values": [value(v) for v in df[c].tolist()]}
                for c in df.columns
            ]
        except Exception as e:  # pandas refused the input
            case["error"] = type(e).__name__
        out["cases"].append(case)
    (HERE / "rfc4180.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
