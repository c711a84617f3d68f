"""The draw engine of the review mechanism (ToR ¶13-¶14, ¶18-¶20): pure functions, no database."""
