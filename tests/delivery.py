"""Run a task as a worker runs one delivery of its message: under the message's task id."""


def deliver(task, task_id: str, **kwargs):
    """Run `task` as delivered by the broker with `task_id`; deliver again with the same id to
    reproduce a redelivery after the worker died."""
    task.push_request(id=task_id, is_eager=False, kwargs=kwargs, delivery_info={})
    try:
        return task.run(**kwargs)
    finally:
        task.pop_request()
