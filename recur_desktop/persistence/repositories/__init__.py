"""The SQL repositories a :class:`~recur_desktop.persistence.uow.SqlUnitOfWork` exposes, one
module per concern; each implements a protocol of :mod:`recur_desktop.persistence.ports`."""
