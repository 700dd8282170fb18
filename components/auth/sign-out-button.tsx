"use client";

import { useState } from "react";
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
        await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => null);
        window.location.replace("/sign-in");
      }}
    >
      Sign out
    </Button>
  );
}
