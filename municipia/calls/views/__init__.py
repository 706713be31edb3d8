"""Pages of calls, by audience: `public` (anyone), `applicant`, `jury` and `manage` (staff)."""
