-- Reserved for participation: debate (comments, reports, statements).
SELECT 1;
