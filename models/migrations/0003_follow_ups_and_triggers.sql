CREATE TABLE "session_follow_ups" (
	"session_id" text NOT NULL,
	"message_ts" text NOT NULL,
	"seq" integer GENERATED ALWAYS AS IDENTITY (sequence name "session_follow_ups_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "session_follow_ups_session_id_message_ts_pk" PRIMARY KEY("session_id","message_ts")
);
--> statement-breakpoint
CREATE TABLE "session_triggers" (
	"trigger_key" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"trace_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "session_follow_ups" ADD CONSTRAINT "session_follow_ups_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_triggers" ADD CONSTRAINT "session_triggers_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;