"""The business Veille works for: who it is, what it sells, where, and whom it competes with."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Competitor(BaseModel):
    name: str
    handles: list[str] = Field(default_factory=list)  # usernames without @, any network
    aliases: list[str] = Field(default_factory=list)  # other spellings people use


class BusinessProfile(BaseModel):
    """Read by leads detection, entities, the guard and the brief."""

    name: str
    handles: list[str] = Field(default_factory=list)  # the business's own accounts, without @
    owner_name: str = ""
    owner_handles: list[str] = Field(default_factory=list)
    trade: str = ""  # e.g. "peintre en bâtiment"
    services: list[str] = Field(default_factory=list)  # words a customer would use
    city: str = ""
    departement: str = ""  # name, e.g. "Maine-et-Loire"
    departement_code: str = ""  # e.g. "49"
    area: list[str] = Field(default_factory=list)  # communes served
    radius_km: int = 0  # how the area was drawn around the city (0: the area list as given)
    commune_code: str = ""  # the city's INSEE code, when set up from the commune list
    competitors: list[Competitor] = Field(default_factory=list)
    website: str = ""
    language: str = "fr"
