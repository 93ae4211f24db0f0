"""Charts and static HTML reports per national objective (no Dagster imports: pure rendering).

``collect`` reads what a report needs from the marts, ``charts`` draws it with matplotlib (Agg),
``html`` writes self-contained pages that open from the file system without a server.
"""
