"""Bringing comments in from WordPress, Disqus, Isso or another Tandem, and taking them out (SPEC section 8).

Each source module reads its format and hands plain records to `writer.ImportWriter`, which
stores them through the same text sanitiser and thread bookkeeping as new comments.
"""
