"""The one settings object of XunCha, read from `XUNCHA_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets seen in templates, tutorials and jwt.io: a deployment using one is not protected.
WEAK_SECRETS = frozenset(
    {
        "changethis",
        "changeme",
        "secret",
        "password",
        "xuncha",
        "jwt-secret",
        "jwt_secret",
        "your-256-bit-secret",
        "supersecret",
        "default",
        "test",
        "development",
    }
)
MIN_SECRET_LENGTH = 32  # RFC 7518 §3.2: an HS256 key has at least 256 bits


class LogSettings(BaseSettings):
    """What logging needs, readable before the rest (a command sets up logging first)."""

    # hide_input_in_errors: a refused secret must not be echoed into logs. frozen: every part
    # of a runtime reads the same values for its whole life; a changed setting is a new runtime.
    model_config = SettingsConfigDict(
        env_prefix="XUNCHA_", extra="ignore", hide_input_in_errors=True, frozen=True
    )

    log_format: Literal["json", "text"] = Field(
        default="text",
        description="`json`: one JSON object per log line (for a log collector); `text`: plain.",
    )


class Settings(LogSettings):
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
    max_waiting_reads: int = Field(
        default=16, ge=1, le=1_000, description="Reads that may wait for projections at once."
    )
    max_waiting_reads_per_caller: int = Field(
        default=2, ge=1, le=100, description="Of those, reads of one caller."
    )
    projection_batch_size: int = Field(default=500, ge=1, le=10_000)
    audit_key: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="Key that signs audit seals (HMAC-SHA256); unset on the embedded default "
        "means a random key file <data_dir>/audit.key, created on first use.",
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="HS256 secret for bearer tokens (one deployment). Unset, with no key file, "
        "means a random secret generated once into data_dir.",
    )
    jwt_public_key_file: Path | None = Field(
        default=None, description="PEM public key: bearer tokens are RS256, from an issuer."
    )
    jwks_file: Path | None = Field(
        default=None, description="JWKS file: bearer tokens are RS256, keys chosen by `kid`."
    )
    jwt_issuer: str | None = Field(default=None, description="Required `iss` claim, if set.")
    jwt_audience: str | None = Field(default=None, description="Required `aud` claim, if set.")
    oidc_issuer: str | None = Field(
        default=None,
        description="OpenID Connect provider whose sign-in the web app offers (authorization "
        "code with PKCE); its discovery document is read from <issuer>/.well-known/...",
    )
    oidc_client_id: str | None = Field(default=None, description="XunCha's client id there.")
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="XunCha's client secret there, if it is a confidential client."
    )
    oidc_username_claim: str = Field(
        default="preferred_username",
        description="The ID token's claim naming the XunCha account the person signs in as.",
    )
    max_query_depth: int = Field(default=15, ge=2, le=100)
    max_query_cost: int = Field(default=100_000, ge=10, le=10_000_000)
    max_query_fields: int = Field(
        default=500,
        ge=10,
        le=100_000,
        description="Most fields one GraphQL operation selects, aliases and fragments counted.",
    )
    max_request_bytes: int = Field(default=1_000_000, ge=1_024, le=100_000_000)
    metrics_token: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="Bearer token /metrics asks for (a Prometheus scrape's bearer_token); "
        "unset, /metrics is open, as it shows only positions and lag.",
    )
    ready_max_lag: int = Field(
        default=10_000,
        ge=0,
        description="Most log positions a projection may be behind the head for /readyz to "
        "answer ready.",
    )
    otel_endpoint: str | None = Field(
        default=None,
        description="OpenTelemetry collector (OTLP over HTTP, e.g. http://collector:4318): "
        "traces of requests and statements go there, with the `otel` extra installed.",
    )
    read_statement_timeout_ms: int = Field(
        default=5_000, ge=10, le=600_000, description="PostgreSQL statement_timeout of reads."
    )
    deadline_check_seconds: float = Field(
        default=600.0,
        ge=0,
        description="How often `serve` raises and sends deadline warnings (超期预警); 0: never "
        "(run `xuncha deadlines warn` and `send` from a scheduler instead).",
    )
    deadline_warning_working_days: int = Field(
        default=3,
        ge=0,
        le=60,
        description="Warn of open clues and tasks due within this many working days.",
    )

    comparison_dir: Path | None = Field(
        default=None,
        description="Where datasets' Parquet files live (data comparison); unset means "
        "<data_dir>/comparison.",
    )
    spark_master: str | None = Field(
        default=None,
        description="Apache Spark master (e.g. spark://host:7077, local[*]): comparisons run "
        "there instead of in the embedded DuckDB (needs the `spark` extra).",
    )
    comparison_threads: int | None = Field(
        default=None, ge=1, le=256, description="DuckDB threads per comparison (default: all)."
    )
    comparison_memory_limit: str | None = Field(
        default=None, description="DuckDB memory limit per comparison, e.g. 2GB (default: 80%)."
    )

    @property
    def comparison_folder(self) -> Path:
        return self.comparison_dir or self.data_dir / "comparison"

    @field_validator("jwt_secret")
    @classmethod
    def _strong_secret(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is None:
            return None
        value = secret.get_secret_value()
        if value.strip().lower() in WEAK_SECRETS:
            raise ValueError("XUNCHA_JWT_SECRET is a well-known default; generate a random one")
        if len(value) < MIN_SECRET_LENGTH or len(set(value)) < 8:
            raise ValueError(
                f"XUNCHA_JWT_SECRET must be at least {MIN_SECRET_LENGTH} random characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return secret

    @model_validator(mode="after")
    def _one_token_key(self) -> Self:
        given = [self.jwt_secret, self.jwt_public_key_file, self.jwks_file]
        if sum(k is not None for k in given) > 1:
            raise ValueError(
                "Set only one of XUNCHA_JWT_SECRET, XUNCHA_JWT_PUBLIC_KEY_FILE, XUNCHA_JWKS_FILE"
            )
        return self
