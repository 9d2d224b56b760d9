"""Text in, plain data out: sentences, entities and attributions of an article."""
