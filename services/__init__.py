"""Pure domain shared by the client and the server: money, rounding, year-month, identity checks,
policy and contribution rules, dictionaries, the bytes a UKey signs. No Qt, no HTTP, no database."""
