"""Model backends behind small interfaces (embedder, NLP pipeline, judges), chosen by name."""
