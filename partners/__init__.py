"""The partner directory, networks, partnerships and integral child centres."""
