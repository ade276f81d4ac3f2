-- The words of the search index, in order. A search looks up the words that begin with what
-- was typed and asks the index for those exact words: the index answers an exact word one
-- thread at a time, while a prefix makes it gather every match of the prefix on each ask.
CREATE VIRTUAL TABLE search_terms USING fts5vocab(search_fts, instance);
