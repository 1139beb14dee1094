"""Event feeds for integrators: iCalendar, Atom, RSS, JSON Feed and an embeddable agenda."""
