"""Credentials: judge link tokens (derived, stored hashed), admin tokens, organizer passwords."""

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import Any

from showcase import store
from showcase.db import Database
from showcase.models import Judge, JudgeLink


def token_hash(token: str) -> bytes:
    """What the database keeps of a token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).digest()


def new_admin_token() -> str:
    return "adm_" + secrets.token_urlsafe(32)


def judge_token(link_key: bytes, judge_id: int, generation: int) -> str:
    """A 192-bit login token keyed by the event's link key, so a link can be shown again."""
    digest = hmac.new(link_key, f"judge:{judge_id}:{generation}".encode(), "sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def judge_token_hasher(link_key: bytes) -> Callable[[int, int], bytes]:
    return lambda judge_id, generation: token_hash(judge_token(link_key, judge_id, generation))


async def judge_links(db: Database, base_url: str) -> list[JudgeLink]:
    link_key = await store.get_link_key(db)
    generations = await store.list_judge_generations(db)
    links = []
    for judge in await store.list_judges(db):
        token = judge_token(link_key, judge.id, generations[judge.id])
        links.append(JudgeLink(judge.id, judge.name, token, f"{base_url.rstrip('/')}/j/{token}"))
    return links


Kept = dict[Any, tuple[Judge, int, float]]  # a judge, their link's generation, kept until


class JudgeCredentials:
    """The judges' credentials as last read, so that a judge's request does not wait on the
    database before its own work. What this process changes of a judge (a new link, a
    deactivation, a new name) is forgotten at once, on the `judges` topic of the commit; what
    another process sharing the file changed is seen within `ttl` seconds. Only found judges
    are kept: a guess is looked up every time, and a new judge's link works at once."""

    def __init__(
        self,
        db: Database,
        ttl: float = 5.0,
        limit: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.ttl = ttl
        self.limit = limit
        self.clock = clock
        self._by_hash: dict[bytes, tuple[Judge, int, float]] = {}
        self._by_id: dict[int, tuple[Judge, int, float]] = {}
        db.listen(store.JUDGES_TOPIC, self.forget)

    def forget(self) -> None:
        self._by_hash.clear()
        self._by_id.clear()

    def _keep(self, cache: Kept, key: Any, found: tuple[Judge, int]) -> None:
        if len(cache) >= self.limit:
            cache.clear()
        cache[key] = (*found, self.clock() + self.ttl)

    def _kept(self, cache: Kept, key: Any) -> tuple[Judge, int] | None:
        kept = cache.get(key)
        if kept is None or kept[2] < self.clock():
            return None
        return kept[0], kept[1]

    async def by_token(self, token: str) -> tuple[Judge, int] | None:
        """The judge whose current link has this token, with the link's generation."""
        digest = token_hash(token)
        found = self._kept(self._by_hash, digest)
        if found is None:
            found = await store.find_judge_by_token(self.db, digest)
            if found is not None:
                self._keep(self._by_hash, digest, found)
        return found

    async def by_session(self, judge_id: int, generation: int) -> Judge | None:
        """The judge a session names, while the link it was opened with is still current."""
        found = self._kept(self._by_id, judge_id)
        if found is None:
            found = await store.find_active_judge(self.db, judge_id)
            if found is not None:
                self._keep(self._by_id, judge_id, found)
        return found[0] if found is not None and found[1] == generation else None


async def is_admin_token(db: Database, token: str) -> bool:
    return await store.find_admin_token(db, token_hash(token))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    scheme, salt, digest = stored.split("$")
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1)
    return hmac.compare_digest(candidate.hex(), digest)


async def organizer_login(db: Database, name: str, password: str) -> int | None:
    """The organizer's id when the password is right."""
    found = await store.find_organizer(db, name)
    if found is None:
        hash_password(password)  # spend the same time, so a wrong name looks like a wrong password
        return None
    organizer_id, stored = found
    return organizer_id if check_password(password, stored) else None


class GuessLimiter:
    """Counts failed guesses per client address in a sliding window; successes never count.

    A valid credential is always served, whatever its neighbours did, so a hall of tablets
    behind one address keeps working while a guesser there is slowed after `slow_after` misses
    and refused after `limit` misses in `window` seconds.
    """

    def __init__(
        self,
        limit: int = 10,
        window: float = 60.0,
        slow_after: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.slow_after = slow_after
        self.clock = clock
        self._misses: dict[str, list[float]] = {}

    def _recent(self, client: str, now: float) -> list[float]:
        recent = [t for t in self._misses.get(client, []) if now - t < self.window]
        if recent:
            self._misses[client] = recent
        else:
            self._misses.pop(client, None)
        return recent

    def missed(self, client: str) -> float | None:
        """Records a miss; the seconds until this client may guess again once it has missed
        too often (None while it may still try)."""
        now = self.clock()
        recent = [*self._recent(client, now), now]
        self._misses[client] = recent
        if len(recent) <= self.limit:
            return None
        return max(0.0, recent[-self.limit] + self.window - now)

    def delay(self, client: str) -> float:
        """How long to hold the answer to this client's latest miss: longer with each one."""
        misses = len(self._recent(client, self.clock()))
        return min(1.0, 0.1 * max(0, misses - self.slow_after))


async def judge_for_session(db: Database, judge_id: int, generation: int) -> Judge | None:
    """The judge a session names, while the link it was opened with is still current."""
    if await store.get_token_generation(db, judge_id) != generation:
        return None
    return await store.get_judge(db, judge_id)
