-- Paused queues: workers claim nothing from them until resumed. Running jobs are not affected.
-- A separate table, not a column on jobs, because pausing must cover jobs submitted after the pause.
CREATE TABLE queue_pauses (
    queue      text PRIMARY KEY,
    paused_at  timestamptz NOT NULL DEFAULT now(),
    paused_by  text,
    reason     text
);
