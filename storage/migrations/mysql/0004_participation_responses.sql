-- Reserved for participation: questionnaires, responses, paper batches.
SELECT 1;
