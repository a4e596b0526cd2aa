variable "environment" {
  type = string
}

variable "domain" {
  type    = string
  default = "platform.example.com"
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "certificate_arn" {
  type        = string
  description = "Wildcard certificate for *.platform.example.com"
}

variable "services" {
  type = map(object({
    port = optional(number, 443)
  }))
}

variable "listener_ports" {
  type    = set(number)
  default = [443]
}
