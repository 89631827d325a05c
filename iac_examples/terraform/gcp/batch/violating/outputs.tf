output "etl_instance_names" {
  description = "Runner VM name per job, for the Cloud Scheduler start jobs."
  value       = { for job, vm in google_compute_instance.etl : job => vm.name }
}
