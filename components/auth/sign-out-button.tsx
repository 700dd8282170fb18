"use client";

import { useState } from "react";
import { jsonBody } from "@/components/jobs/api";
import { Button } from "@/components/ui/button";

/** Ends this session on the server, then leaves with replace: the back button has no private page to show. */
export function SignOutButton() {
  const [isPending, setPending] = useState(false);
  return (
    <Button
      size="sm"
      variant="ghost"
      disabled={isPending}
      onClick={async () => {
        setPending(true);
        await fetch("/api/auth/sign-out", jsonBody({})).catch(() => null);
        window.location.replace("/sign-in");
      }}
    >
      Sign out
    </Button>
  );
}
