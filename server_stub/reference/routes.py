"""Reference data every client caches: business date, policy, dictionaries (no login needed)."""
from __future__ import annotations

from ..deps import SessionDep
from ..web import router
from . import service
from .schemas import BusinessDatePublic, DictionariesPublic, PolicyPublic

api = router(tags=["reference"])


@api.get("/business-date", response_model=BusinessDatePublic)
def get_business_date(session: SessionDep):
    return BusinessDatePublic(date=service.business_date(session=session).isoformat())


@api.get("/policy", response_model=PolicyPublic)
def get_policy(session: SessionDep):
    return service.policy_for(session=session, day=service.business_date(session=session)).to_api()


@api.get("/dictionaries", response_model=DictionariesPublic)
def get_dictionaries(session: SessionDep):
    return service.dictionaries(session=session).to_api()
