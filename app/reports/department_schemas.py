"""Shapes of what is loaded: departments with their reports by year and kind, fiscal years."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["final", "budget", "unknown"]
Status = Literal["queued", "parsing", "parsed", "failed"]


class KindCounts(BaseModel):
    reports: int = Field(default=0, description="reports of every kind")
    budget: int = Field(default=0, description="部门预算 reports")
    final: int = Field(default=0, description="部门决算 reports")
    unknown: int = Field(default=0, description="reports whose kind is unknown")


class DepartmentReport(BaseModel):
    report_id: str
    fiscal_year: int | None
    kind: Kind
    status: Status


class DepartmentYear(BaseModel):
    fiscal_year: int | None
    budget: list[str] = Field(default_factory=list, description="ids of the year's 预算 reports")
    final: list[str] = Field(default_factory=list, description="ids of the year's 决算 reports")
    unknown: list[str] = Field(default_factory=list, description="ids of the year's reports of unknown kind")


class DepartmentOut(BaseModel):
    name: str = Field(description="the department name as the reports print it", examples=["上海市普陀区财政局"])
    counts: KindCounts
    years: list[DepartmentYear] = Field(description="the department's reports by fiscal year and kind, oldest first")
    reports: list[DepartmentReport]


class DepartmentList(BaseModel):
    data: list[DepartmentOut]
    next_cursor: str | None


class FiscalYearOut(BaseModel):
    fiscal_year: int | None = Field(description="null: reports whose year is not known (yet)")
    counts: KindCounts
    departments: int = Field(description="distinct departments with a report of the year")


class FiscalYearList(BaseModel):
    data: list[FiscalYearOut]
    next_cursor: str | None = None
