"""Settings: one frozen Struct, read from the SHOWCASE_* environment once."""

import os
from pathlib import Path

import msgspec


class Settings(msgspec.Struct, frozen=True):
    db: Path = Path("showcase.db")
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = ""
    redis_url: str = ""
    secure_cookies: bool = False
    debug: bool = False

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        env = os.environ
        values: dict[str, object] = {
            "db": Path(env.get("SHOWCASE_DB", "showcase.db")),
            "host": env.get("SHOWCASE_HOST", "127.0.0.1"),
            "port": int(env.get("SHOWCASE_PORT", "8000")),
            "base_url": env.get("SHOWCASE_BASE_URL", ""),
            "redis_url": env.get("SHOWCASE_REDIS_URL", ""),
            "secure_cookies": env.get("SHOWCASE_SECURE_COOKIES", "") in ("1", "true", "yes"),
            "debug": env.get("SHOWCASE_DEBUG", "") in ("1", "true", "yes"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")
