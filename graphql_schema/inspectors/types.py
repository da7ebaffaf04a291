from __future__ import annotations

import graphene

from domain.inspectors.inspector import Kinship as DomainKinship

Kinship = graphene.Enum.from_enum(DomainKinship)
