"""gjj-centre: the housing provident fund centre server (FastAPI + SQLAlchemy), the system of record
for units, employees, accounts, ledger and messages. Entry points: `server_stub.app.create_app` and the
`gjj-centre` command line (`server_stub.cli`)."""
