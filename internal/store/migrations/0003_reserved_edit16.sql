-- Reserved for the proposals slice of issue 16 (branch edit16), which brings
-- its own 0003: this placeholder only keeps the numbering whole on the
-- history branch and goes when that branch is merged.
SELECT 1;
