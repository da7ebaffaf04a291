"""The one settings object of XunCha, read from `XUNCHA_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="XUNCHA_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="External PostgreSQL; unset means an embedded server in data_dir.",
    )
    data_dir: Path = Field(default=Path(".xuncha"), description="Where embedded data lives.")
    kafka_bootstrap: str | None = Field(default=None, description="Kafka bootstrap servers.")
    kafka_topic: str = "xuncha.events"
    database_pool_size: int = Field(default=4, ge=1, le=64)
    read_wait_seconds: float = Field(
        default=5.0, gt=0, le=60, description="Longest a read waits for projections."
    )
    projection_batch_size: int = Field(default=500, ge=1, le=10_000)
