"""Claims: fact-bearing clauses of an article with attribution, quantities, times, entities, quotes."""
