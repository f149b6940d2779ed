-- Reserved for the accounts slice of issue 16 (branch auth16), which brings
-- its own 0002: this placeholder only keeps the numbering whole on the
-- history branch and goes when that branch is merged.
SELECT 1;
