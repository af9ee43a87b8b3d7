-- Reserved for the ballot box (voting/ballotbox); filled by its store.
SELECT 1;
