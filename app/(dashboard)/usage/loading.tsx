import { PageLoading } from "@/components/page-states";

export default function Loading() {
  return <PageLoading what="usage" />;
}
