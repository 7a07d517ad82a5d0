"""Hypothesis fuzzing of the PDF guard and the parse entry point on mutated PDFs (a real fixture and a
built table PDF): every outcome is a parsed report or a ParseError with a documented code."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.parsing import ParsedReport, ParseError, parse_pdf
from app.parsing import errors as parse_errors
from app.parsing.guard import open_pdf
from tests.conftest import fixture_pdf
from tests.pdfs import ruled_table_pdf

DOCUMENTED = {cls.code for _, cls in inspect.getmembers(parse_errors, inspect.isclass)
              if issubclass(cls, ParseError)}
TOKENS = [b"obj", b"endobj", b"stream", b"endstream", b"/Length", b"xref", b"trailer", b"/Root", b"/Pages",
          b"/Kids", b"/Count", b"/Font", b"/Filter", b"startxref", b"%%EOF", b"<<", b">>"]
RUNS: dict[str, int] = {}


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with a few structural or random mutations: the kind of damage a hostile upload carries."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "token", "number"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "truncate":
            del data[pos:]
        elif kind == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            del data[pos:pos + draw(st.integers(1, 4096))]
        elif kind == "token":
            token = draw(st.sampled_from(TOKENS))
            at = data.find(token, pos)
            if at >= 0:
                data[at:at + len(token)] = draw(st.sampled_from([b"", b"X" * len(token), *TOKENS]))
        else:  # a number (an object length, offset or count) made huge, negative or zero
            at = next((i for i in range(pos, min(pos + 2000, len(data))) if chr(data[i]).isdigit()), -1)
            if at >= 0:
                data[at:at + 1] = draw(st.sampled_from([b"999999999999", b"-1", b"0", b"4294967296"]))
    return bytes(data)


def outcome(run: str, data: bytes, parse: bool) -> None:
    RUNS[run] = RUNS.get(run, 0) + 1
    try:
        if parse:
            assert isinstance(parse_pdf(data), ParsedReport)
        else:
            with open_pdf(data) as pdf:
                assert len(pdf) >= 1
    except ParseError as exc:
        code = exc.code
    else:
        return
    assert code in DOCUMENTED, code


FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    return fixture_pdf("real/putuo_justice_2026_dept_budget.pdf").read_bytes()


BUILT = ruled_table_pdf("2024年部门收支总表", "单位：元", ["项目", "金额"],
                        [["一、一般公共预算财政拨款收入", "1,234.56"], ["合计", "1,234.56"]], [300, 150])


def test_guard_on_mutated_real_pdf(real_pdf: bytes) -> None:
    @settings(FUZZ, max_examples=150)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        outcome("guard", data.draw(mutated(real_pdf)), parse=False)

    try:
        run()
    finally:
        print(f"\nguard: {RUNS.get('guard', 0)} mutated PDFs tried (documented codes: {sorted(DOCUMENTED)})")


def test_parse_on_mutated_built_pdf() -> None:
    @settings(FUZZ, max_examples=60)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        outcome("parse-built", data.draw(mutated(BUILT)), parse=True)

    run()
    print(f"\nparse (built PDF): {RUNS['parse-built']} mutated PDFs, 0 crashes")


@pytest.mark.slow
def test_parse_on_mutated_real_pdf(real_pdf: bytes) -> None:
    @settings(FUZZ, max_examples=10)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        outcome("parse-real", data.draw(mutated(real_pdf)), parse=True)

    run()
    print(f"\nparse (real PDF): {RUNS['parse-real']} mutated PDFs, 0 crashes")
