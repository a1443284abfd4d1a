export { ListSkeleton as default } from "@/components/console/page-skeleton";
