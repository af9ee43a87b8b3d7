-- Reserved for participation: consultations, phases, information, participants, evaluation.
SELECT 1;
