"""scoringjobs: Plexus scoring jobs in a local SQLite store, synced with the Plexus API.

The ScoringJob API of ``plexus.dashboard.api.models`` served from the C++ store::

    import scoringjobs
    with scoringjobs.Store("/var/lib/scoring/jobs.db") as store:
        job = scoringjobs.ScoringJob.create(store, accountId, scorecardId, itemId, {})
        job.update(status="RUNNING")
        report = scoringjobs.sync(store, api_url=..., api_key=...)

``scoringjobs.plexus.LocalClient(store)`` answers the GraphQL documents the Plexus model
classes send, from the same store, so their code runs offline unchanged.

Threads: a ``Store`` may be shared; its calls are serialized by a lock it holds, and the GIL
is released while they wait and while SQLite or the network works. Records (``ScoringJob``,
``BatchJob``, ``BatchJobScoringJob``) are values: read them from any thread; do not call
``update()`` on the same record object from two threads at once. ``LocalClient`` may be
shared like its store.

Errors: every error is a ``scoringjobs.Error`` (``code``, ``field``, ``native_code``);
``InvalidArgument`` is also a ``ValueError`` and ``NotFound`` a ``LookupError``.
"""

from ._core import (  # noqa: F401  (the package's public API)
    Auth,
    BatchJob,
    BatchJobScoringJob,
    Busy,
    Conflict,
    Error,
    Internal,
    InvalidArgument,
    NotFound,
    Offline,
    OutcomeUnknown,
    Rejected,
    RemoteConflict,
    SchemaTooNew,
    ScoringJob,
    Storage,
    Store,
    Throttled,
    Transient,
    __version__,
    batch_scoring_job,
    export_file,
    export_records,
    import_file,
    import_records,
    status,
    sync,
)

__all__ = [
    "Auth", "BatchJob", "BatchJobScoringJob", "Busy", "Conflict", "Error", "Internal",
    "InvalidArgument", "NotFound", "Offline", "OutcomeUnknown", "Rejected", "RemoteConflict",
    "SchemaTooNew", "ScoringJob", "Storage", "Store", "Throttled", "Transient",
    "batch_scoring_job", "export_file", "export_records", "import_file", "import_records",
    "status", "sync",
]
