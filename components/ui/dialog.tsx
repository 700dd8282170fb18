"use client";
// The console's modal dialog, on Radix (focus trap, Escape, aria wiring) with the console's look.
import * as RadixDialog from "@radix-ui/react-dialog";
import { useLayoutEffect, useRef, type ReactNode } from "react";

export interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  children: ReactNode;
  /** Where focus goes on close when the element that had it before is gone (say, a row's button). */
  fallbackFocus?: () => HTMLElement | null;
}

export function Dialog({ open, onOpenChange, title, description, children, fallbackFocus }: DialogProps) {
  // Radix gives focus back to its Trigger; dialogs opened from state have none, so focus goes back
  // to whatever had it when the dialog opened (layout effects run before Radix moves focus).
  const returnFocus = useRef<Element | null>(null);
  useLayoutEffect(() => {
    if (open) returnFocus.current = document.activeElement;
  }, [open]);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/50" />
        <RadixDialog.Content
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            const previous = returnFocus.current;
            if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
            else fallbackFocus?.()?.focus();
          }}
          className="fixed top-1/2 left-1/2 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg border border-zinc-200 bg-white p-5 shadow-xl focus:outline-none dark:border-zinc-700 dark:bg-zinc-900">
          <RadixDialog.Title className="text-base font-semibold">{title}</RadixDialog.Title>
          <RadixDialog.Description className="mt-1 text-sm text-zinc-600 dark:text-zinc-300">{description}</RadixDialog.Description>
          <div className="mt-4">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export const DialogClose = RadixDialog.Close;
