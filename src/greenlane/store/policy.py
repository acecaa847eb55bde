"""The one authorization policy: who may read and write what, for every face alike.

Roles and their reach (docs/security.md says the same in prose):

- the **operator** runs the network: it reads every organization's emissions and plans and
  administers organizations, keys and grants;
- a **shipper** owns its shipments and its records;
- a **carrier** reports TCEs for the shippers that granted it, and reads what it reported
  for them while the grant stands;
- an **auditor** reads the books of the shippers that granted it, and writes nothing.

Waybills hold a consignee's name and address: only the organization that made them reads
them, whatever its role. A record the caller may not see is answered exactly as a record that
does not exist (404), so no answer tells one organization what another has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from greenlane.errors import NotFoundError
from greenlane.store.access import Caller, aware, now
from greenlane.store.tables import Role, grants, organizations

GRANTEES = (Role.CARRIER, Role.AUDITOR)


def granted_shippers(caller: Caller) -> sa.Select[Any]:
    """The shippers that granted the caller access, as a subquery."""
    return sa.select(grants.c.shipper_id).where(grants.c.grantee_id == caller.organization_id)


def shipment_rows(caller: Caller, table: sa.Table) -> sa.ColumnElement[bool]:
    """The rows of a table keyed by shipper and carrier (tces, rollups) the caller may read."""
    if caller.role == Role.OPERATOR:
        return sa.true()
    if caller.role == Role.SHIPPER:
        return table.c.shipper_id == caller.organization_id
    granted = table.c.shipper_id.in_(granted_shippers(caller))
    if caller.role == Role.CARRIER:
        return sa.and_(table.c.carrier_id == caller.organization_id, granted)
    return granted


def owned_rows(caller: Caller, column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    """Rows owned by an organization (plans, ledgers): the owner's, and who may read its books.

    The operator reads every organization's; an auditor those of the shippers that granted
    it; anyone else its own.
    """
    if caller.role == Role.OPERATOR:
        return sa.true()
    if caller.role == Role.AUDITOR:
        return column.in_(granted_shippers(caller))
    return column == caller.organization_id


def own_rows(caller: Caller, column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    """Rows with personal data (waybills): the owner's only, whatever the caller's role."""
    return column == caller.organization_id


def may_write(caller: Caller) -> bool:
    """Every role writes its own records but the auditor, who reads."""
    return caller.role != Role.AUDITOR


def writable_shippers(conn: sa.Connection, caller: Caller, named: Iterable[str]) -> set[str]:
    """Of the shippers ``named``, those whose books the caller may write TCEs into.

    A shipper writes its own; a carrier those that granted it; the operator any registered
    shipper; an auditor none.
    """
    wanted = sorted(set(named))
    if caller.role == Role.SHIPPER:
        return {s for s in wanted if s == caller.organization_id}
    if caller.role == Role.CARRIER:
        query = granted_shippers(caller).where(grants.c.shipper_id.in_(wanted))
    elif caller.role == Role.OPERATOR:
        o = organizations.c
        query = sa.select(o.id).where(o.id.in_(wanted), o.role == Role.SHIPPER.value)
    else:
        return set()
    return set(conn.execute(query).scalars())


def grant(engine: sa.Engine, caller: Caller, shipper_id: str, grantee_id: str) -> bool:
    """Let ``grantee_id`` (a carrier or an auditor) report for or read ``shipper_id``.

    A shipper grants for itself; the operator for any shipper. Returns False when the grant
    existed already. NotFoundError when either party is not what it must be: the
    answer is the same whether the organization is missing or has another role.
    """
    _may_manage(caller, shipper_id)
    with engine.begin() as conn:
        roles = dict(
            conn.execute(
                sa.select(organizations.c.id, organizations.c.role).where(
                    organizations.c.id.in_([shipper_id, grantee_id])
                )
            ).all()
        )
        if roles.get(shipper_id) != Role.SHIPPER or roles.get(grantee_id) not in GRANTEES:
            raise NotFoundError(f"no carrier or auditor {grantee_id[:64]!r} to grant to")
        key = (grants.c.shipper_id == shipper_id) & (grants.c.grantee_id == grantee_id)
        if conn.execute(sa.select(grants.c.shipper_id).where(key)).first():
            return False
        conn.execute(
            grants.insert().values(shipper_id=shipper_id, grantee_id=grantee_id, created_at=now())
        )
    return True


def revoke(engine: sa.Engine, caller: Caller, shipper_id: str, grantee_id: str) -> bool:
    """End a grant at once; False when there was none."""
    _may_manage(caller, shipper_id)
    key = (grants.c.shipper_id == shipper_id) & (grants.c.grantee_id == grantee_id)
    with engine.begin() as conn:
        return conn.execute(grants.delete().where(key)).rowcount == 1


def list_grants(engine: sa.Engine, caller: Caller) -> list[dict[str, Any]]:
    """The grants the caller is party to (the operator: every grant)."""
    me = caller.organization_id
    mine = (
        sa.true()
        if caller.role == Role.OPERATOR
        else sa.or_(grants.c.shipper_id == me, grants.c.grantee_id == me)
    )
    query = (
        sa.select(grants, organizations.c.role)
        .join(organizations, organizations.c.id == grants.c.grantee_id)
        .where(mine)
        .order_by(grants.c.shipper_id, grants.c.grantee_id)
    )
    with engine.connect() as conn:
        return [
            {
                "shipper_id": r.shipper_id,
                "grantee_id": r.grantee_id,
                "grantee_role": r.role,
                "created_at": aware(r.created_at),
            }
            for r in conn.execute(query)
        ]


def _may_manage(caller: Caller, shipper_id: str) -> None:
    """A shipper manages its own grants, the operator anyone's; others get a 404."""
    if caller.role == Role.OPERATOR or caller.organization_id == shipper_id:
        return
    raise NotFoundError(f"no shipper {shipper_id[:64]!r}")
