"""`gjj-centre init`: migrate the database, create the centre CA, the settings, the policy rows, the
dictionaries, a reviewer account and (with --demo) the demo units. Refuses a database that is already
initialised: a second init would mint new reviewer passwords and demo units over real data."""
from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass

from sqlalchemy import select

from services.policy import policy_year_of

from .audit import service as audit
from .auth.models import CentreUser
from .auth.passwords import Passwords
from .config import CentreConfig
from .database import Database
from .demo.loader import DemoSpec, demo_first_month, load_demo
from .reference import service as reference
from .reference.models import CentreSettings
from .timefmt import local_date
from .ukeys.ca import CA_CERT_FILE, CentreCA

REVIEWER_USERNAME = "reviewer"


class AlreadyInitialised(RuntimeError):
    pass


@dataclass(frozen=True)
class InitResult:
    units: list[dict]
    reviewer: dict
    business_date: dt.date
    ca_created: bool

    def credentials(self) -> dict:
        """Exactly what `init --json` prints."""
        return {"units": self.units, "reviewer": self.reviewer}


def initialise(config: CentreConfig, *, demo: bool = False, business_date: dt.date | None = None,
               spec: DemoSpec | None = None) -> InitResult:
    database = Database(config)
    try:
        database.migrate()
        now = config.clock()
        day = business_date or local_date(now, config.timezone)
        passwords = Passwords(config)
        with database.transaction() as session:
            existing = session.get(CentreSettings, reference.SETTINGS_ID)
            if existing is not None:
                raise AlreadyInitialised(
                    f"数据库已初始化（{existing.initialised_at:%Y-%m-%d %H:%M} UTC），未做任何修改。"
                    f"如需重建，请删除数据库（{_where(config)}）后再运行 init，或改用新的数据目录")
            session.add(CentreSettings(id=reference.SETTINGS_ID, centre_name=config.centre_name, business_date=day,
                                       dictionary_version=1, initialised_at=now, updated_at=now))
            first_year = policy_year_of(demo_first_month(day, spec or DemoSpec()).first_day()) if demo else None
            for year in range(first_year or policy_year_of(day), policy_year_of(day) + 1):
                reference.ensure_policy_year(session=session, year=year, now=now)
            reference.seed_dictionaries(session=session)
            reviewer_password = new_password()
            session.add(CentreUser(username=REVIEWER_USERNAME, name="中心审核员", role="reviewer",
                                   password_hash=passwords.hash(reviewer_password), created_at=now))
            units = []
            if demo:
                units = load_demo(session=session, business_date=day, now=now, passwords=passwords,
                                  policy=reference.policy_for(session=session, day=day), spec=spec or DemoSpec())
            ca_created = not (config.ca_dir / CA_CERT_FILE).exists()
            if ca_created:
                CentreCA.create(config.ca_dir, centre_name=config.centre_name, now=now)
            audit.record(session=session, at=now, actor_kind="cli", actor="gjj-centre init", action="cli.init",
                         detail={"demo": demo, "business_date": day.isoformat(), "ca_created": ca_created})
        return InitResult(units, {"username": REVIEWER_USERNAME, "password": reviewer_password}, day, ca_created)
    finally:
        database.dispose()


class ReviewerExists(Exception):
    pass


def add_reviewer(config: CentreConfig, *, username: str, name: str) -> dict:
    """A further centre reviewer (复审 must be decided by another reviewer than 初审): {"username", "password"}
    with a random password. Refuses a username already taken."""
    database = Database(config)
    try:
        database.migrate()
        now = config.clock()
        password = new_password()
        with database.transaction() as session:
            if session.scalar(select(CentreUser.id).where(CentreUser.username == username)) is not None:
                raise ReviewerExists(f"审核员账号{username}已存在，未做任何修改")
            session.add(CentreUser(username=username, name=name, role="reviewer",
                                   password_hash=Passwords(config).hash(password), created_at=now))
            audit.record(session=session, at=now, actor_kind="cli", actor="gjj-centre add-reviewer",
                         action="cli.add_reviewer", detail={"username": username})
        return {"username": username, "password": password}
    finally:
        database.dispose()


def new_password(length: int = 14) -> str:
    """A random password with letters and digits (it satisfies the password rules)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isalpha() for c in candidate) and any(c.isdigit() for c in candidate):
            return candidate


def _where(config: CentreConfig) -> str:
    from sqlalchemy.engine import make_url
    return make_url(config.resolved_database_url).render_as_string(hide_password=True)
