variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "listener_ports" {
  type = set(number)
}

variable "certificate_arn" {
  type = string
}
