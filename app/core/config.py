"""Settings from the environment (and `.env`), validated once; nothing is built at import time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""  # empty: a SQLite file under data_dir
    max_upload_bytes: int = Field(default=64 * 1024 * 1024, gt=0)
    max_pages: int = Field(default=500, gt=0)
    parse_timeout_seconds: float = Field(default=180.0, gt=0)
    parse_memory_mb: int = Field(default=3072, ge=256)
    workers: int = Field(default=2, ge=1, le=64)
    wait_timeout_seconds: float = Field(default=300.0, gt=0)
    # inprocess: the API parses in its own process pool; postgres: the API only enqueues (in the
    # transaction that records the report) and `python -m app worker` processes parse
    job_queue: Literal["inprocess", "postgres"] = "inprocess"
    queue_retention_hours: int = Field(default=168, ge=1)  # JOB_QUEUE=postgres: finished queue rows kept
    max_attempts: int = Field(default=3, ge=1, le=20)  # runs of one job before parser_crashed_repeatedly
    file_store: str = ""  # empty: DATA_DIR/files; a folder (shared mount) or s3://bucket/prefix
    worker_heartbeat_seconds: float = Field(default=5.0, gt=0)
    stalled_worker_seconds: float = Field(default=20.0, gt=0)  # no heartbeat that long: its jobs are retried
    # Trust boundary: `required` is enforced on any non-loopback bind (`serve` refuses to start otherwise).
    auth: Literal["required", "off"] = "off"
    rate_limit: str = "600/minute"  # per key (per client address when AUTH=off), `limits` notation
    rate_limit_storage: str = "memory://"  # or redis://host:6379 to share counters between processes
    upload_quota_per_day: int = Field(default=1000, ge=1)
    # Browser origins allowed to read the API (comma-separated, e.g. https://a.example,https://b.example;
    # `*` for any); empty: no CORS headers, so only same-origin pages can read it
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, v: object) -> object:
        return [o.strip().rstrip("/") for o in v.split(",") if o.strip()] if isinstance(v, str) else v

    @field_validator("rate_limit")
    @classmethod
    def _known_rate(cls, v: str) -> str:
        from app.auth.limits import check_rate

        return check_rate(v)

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'reports.db').as_posix()}"
        elif not self.database_url.startswith(("sqlite", "postgresql")):
            raise ValueError("DATABASE_URL must be a sqlite:// or postgresql:// URL")
        if self.database_url.startswith("postgresql://"):
            self.database_url = "postgresql+psycopg://" + self.database_url.removeprefix("postgresql://")
        if self.job_queue == "postgres" and not self.database_url.startswith("postgresql"):
            raise ValueError("JOB_QUEUE=postgres needs a postgresql:// DATABASE_URL")
        return self

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


@lru_cache
def get_settings() -> Settings:
    return Settings()
